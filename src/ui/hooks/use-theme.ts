// The theme reaches every component through context, so colour on/off is decided once (App).
import { createContext, useContext } from "react";
import { makeTheme, type Theme } from "../theme.js";

export const ThemeContext = createContext<Theme>(makeTheme(false));

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
