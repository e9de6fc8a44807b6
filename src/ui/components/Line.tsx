// One screen line as one Ink node. Its pieces arrive already painted (theme.ts `paint`), so a line
// is one React element however many colours it holds, and memo skips the lines whose text did not
// change since the last frame (the 1 s tick changes a few).
//
// Why a stand-in: Ink measures every text node on every frame with string-width, which is cheap
// for printable ASCII and about a microsecond per character otherwise (a grapheme segmenter and
// emoji regexps per character); our bars, `·` separators and `—` cells made that the largest single
// cost of an idle frame. A line that surely fits is handed to Ink as a same-width ASCII stand-in
// for measuring, and <Transform> (which Ink applies to each output line after layout) swaps the
// painted text back in: the bytes written are the same as from <Text>, at a fraction of the cost.
import { Text, Transform } from "ink";
import { memo, type ReactElement } from "react";
import { NONE, paint, type TextStyle } from "../theme.js";

export type LineProps = {
  text: string;
  /** The whole line's style (as <Text>'s props: applied after the inner pieces' styles). */
  style?: TextStyle;
  bold?: boolean;
  /**
   * Cells available to the line (its box's width). A line known to fit takes the fast path;
   * without a width, or when it may not fit, Ink cuts it with `…` as <Text wrap="truncate-end">.
   */
  width?: number;
};

// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]*m/g;
/**
 * Characters whose width is one cell for certain, like the stand-in's: printable ASCII and the
 * glyphs the TUI itself draws. Anything else (a wide CJK character, an emoji in a log message)
 * leaves the line to Ink's own measuring.
 */
const ONE_CELL = /^[\x20-\x7e█░·—…↑↓]*$/;
const NOT_ASCII = /[^\x20-\x7e]/g;

export const Line = memo(function Line({ text, style = NONE, bold, width }: LineProps): ReactElement {
  const plain = text.includes("\x1b") ? text.replace(SGR, "") : text;
  if (width !== undefined && plain.length > 0 && plain.length <= width && ONE_CELL.test(plain)) {
    const painted = paint(text, bold === undefined ? style : { ...style, bold });
    // The screen-reader output reads node text, not transformed output: give it the real text.
    return (
      <Transform transform={() => painted} accessibilityLabel={text}>
        {plain.replace(NOT_ASCII, "#")}
      </Transform>
    );
  }
  return (
    <Text wrap="truncate-end" {...style} {...(bold === undefined ? {} : { bold })}>
      {text}
    </Text>
  );
});
