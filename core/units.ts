/**
 * Reading a string's UTF-16 code units in hot loops without looking the method up on the string.
 *
 * V8 gives each string representation its own hidden class (flat or rope, one- or two-byte, internalized or
 * not, a slice of another), and the texts a server sees come in all of them: `text.charCodeAt(i)` in a loop
 * that every text goes through sees more classes than V8 keeps apart, and its optimised code then looks
 * `charCodeAt` up in a global cache on every call. Calling the prototype's function reads no property of the
 * string, whatever its class. It is written out in full, not kept in a variable, so that the optimising
 * compiler knows the function and puts the read itself in place of the call.
 * @module
 */

/**
 * `text.charCodeAt(i)` where `0 <= i < text.length`. A read outside the text still gives NaN, but makes V8
 * stop putting the read in place for every caller: use {@link unitOrNaN} where an index may be outside.
 */
export function unitAt(text: string, i: number): number {
  return String.prototype.charCodeAt.call(text, i)
}

/** `text.charCodeAt(i)` for any `i`: NaN outside the text. */
export function unitOrNaN(text: string, i: number): number {
  return String.prototype.charCodeAt.call(text, i)
}
