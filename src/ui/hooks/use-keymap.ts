// Keys -> actions through the one table in keybindings.ts. The handler map is the App's; this
// hook only translates Ink's input events and looks them up for the current mode.
import { useInput } from "ink";
import { useCallback, useRef } from "react";
import { bindingFor, keyNames, type Action, type KeyFlags, type Mode } from "../keybindings.js";

/** Returns the mode the action leads to, so the next key of the same event is read in it. */
export type ActionHandler = (action: Action, key: string) => Mode | void;

export function useKeymap(mode: Mode, onAction: ActionHandler): void {
  // Several keys can arrive in one event; each must see the mode the previous one left behind,
  // so the mode is read through a ref the handler updates, not from the render it closed over.
  const modeRef = useRef(mode);
  modeRef.current = mode;
  const handler = useRef(onAction);
  handler.current = onAction;
  const onInput = useCallback((input: string, key: KeyFlags) => {
    for (const name of keyNames(input, key)) {
      const binding = bindingFor(modeRef.current, name);
      if (!binding) continue;
      const next = handler.current(binding.action, name);
      if (next) modeRef.current = next;
    }
  }, []);
  useInput(onInput);
}
