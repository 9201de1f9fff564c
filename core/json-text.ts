/**
 * User text inside app JSON: `TIMCustomElem.Data` and `CloudCustomData` often carry an app's own JSON, and
 * some of its strings are text a user typed (a caption, a link card's title). The pipeline's `jsonText`
 * rules name them — `{ in, when, paths }` — so plugins can read them as text slots; every other key,
 * value, number and the key order stay as sent, because an edit re-serialises only the string it changed.
 *
 * Paths are dot-separated keys (`content.text`); `*` stands for any array item or object key
 * (`items.*.title`); `$` is the whole string, for apps whose `Data` is plain text rather than JSON.
 * @module
 */
import { z } from 'zod'

/** A JSON path inside a string: object keys and array indices. */
export type JsonPath = ReadonlyArray<string | number>

/** Where a rule looks: the custom element's `Data`, or the message's `CloudCustomData`. */
export const JSON_TEXT_PLACES = ['custom-data', 'cloud-custom-data'] as const
export type JsonTextPlace = (typeof JSON_TEXT_PLACES)[number]

const primitive = z.union([z.string(), z.number(), z.boolean(), z.null()])
const pathString = z
  .string()
  .regex(/^(?:\$|[^.]+(?:\.[^.]+)*)$/, { error: 'expected "$" or dot-separated keys such as "content.text" ("*" for any key or item)' })

/**
 * One `jsonText` rule. `when` compares values at paths of the parsed JSON (every condition must hold), so a
 * rule can pick one message type of the app: `{ "when": { "businessID": "text_link" }, "paths": ["text"] }`.
 * @example jsonTextRuleSchema.parse({ in: 'custom-data', when: { businessID: 'text_link' }, paths: ['text'] })
 */
export const jsonTextRuleSchema = z.strictObject({
  in: z.enum(JSON_TEXT_PLACES),
  when: z.record(pathString, primitive).optional(),
  paths: z.array(pathString).min(1),
})

/** A `jsonText` rule as written in options or config. */
export type JsonTextRule = z.input<typeof jsonTextRuleSchema>

interface CompiledRule {
  readonly when: ReadonlyArray<readonly [readonly string[], string | number | boolean | null]>
  readonly paths: ReadonlyArray<readonly string[]>
  readonly whole: boolean
}

/** The rules of one place, compiled once per pipeline. */
export interface JsonTextReader {
  /** The strings the rules name in `raw`, each with its path (`[]` for the whole string). */
  read(raw: string): Array<{ json: JsonPath; text: string }>
}

/** Compiled rules per place; a place with no rule reads nothing and costs nothing. */
export type JsonTextReaders = Readonly<Partial<Record<JsonTextPlace, JsonTextReader>>>

const split = (path: string): string[] => path.split('.')

/**
 * Compile `jsonText` rules (validated beforehand by {@link jsonTextRuleSchema}) into one reader per place.
 * @example compileJsonText([{ in: 'cloud-custom-data', paths: ['caption'] }])['cloud-custom-data']?.read('{"caption":"hi"}')
 */
export function compileJsonText(rules: readonly z.output<typeof jsonTextRuleSchema>[]): JsonTextReaders {
  const byPlace = new Map<JsonTextPlace, CompiledRule[]>()
  for (const rule of rules) {
    let list = byPlace.get(rule.in)
    if (list === undefined) byPlace.set(rule.in, (list = []))
    list.push({
      when: Object.entries(rule.when ?? {}).map(([path, value]) => [split(path), value] as const),
      paths: rule.paths.filter((p) => p !== '$').map(split),
      whole: rule.paths.includes('$'),
    })
  }
  const readers: Partial<Record<JsonTextPlace, JsonTextReader>> = {}
  for (const [place, list] of byPlace) readers[place] = { read: (raw) => readWith(list, raw) }
  return Object.freeze(readers)
}

function readWith(rules: readonly CompiledRule[], raw: string): Array<{ json: JsonPath; text: string }> {
  let parsed: unknown
  let parsedOk = false
  const out: Array<{ json: JsonPath; text: string }> = []
  const seen = new Set<string>()
  for (const rule of rules) {
    if (rule.whole && rule.when.length === 0) {
      if (!seen.has('$')) {
        seen.add('$')
        out.push({ json: [], text: raw })
      }
      continue
    }
    if (!parsedOk) {
      try {
        parsed = JSON.parse(raw)
        parsedOk = true
      } catch {
        // Not JSON: only "$" rules without conditions can read it.
        continue
      }
    }
    if (!rule.when.every(([path, value]) => valueAt(parsed, path) === value)) continue
    if (rule.whole && !seen.has('$')) {
      seen.add('$')
      out.push({ json: [], text: raw })
    }
    for (const path of rule.paths) collect(parsed, path, 0, [], out, seen)
  }
  return out
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function own(v: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(v, key) ? v[key] : undefined
}

function valueAt(v: unknown, path: readonly string[]): unknown {
  for (const key of path) {
    if (Array.isArray(v) && /^\d+$/.test(key)) v = v[Number(key)]
    else if (isObject(v)) v = own(v, key)
    else return undefined
  }
  return v
}

function collect(
  v: unknown,
  path: readonly string[],
  at: number,
  trail: Array<string | number>,
  out: Array<{ json: JsonPath; text: string }>,
  seen: Set<string>,
): void {
  if (at === path.length) {
    if (typeof v !== 'string') return
    const key = JSON.stringify(trail)
    if (seen.has(key)) return
    seen.add(key)
    out.push({ json: [...trail], text: v })
    return
  }
  const key = path[at] as string
  if (Array.isArray(v)) {
    if (key === '*') v.forEach((item, i) => collect(item, path, at + 1, [...trail, i], out, seen))
    else if (/^\d+$/.test(key)) collect(v[Number(key)], path, at + 1, [...trail, Number(key)], out, seen)
  } else if (isObject(v)) {
    if (key === '*') for (const k of Object.keys(v)) collect(v[k], path, at + 1, [...trail, k], out, seen)
    else collect(own(v, key), path, at + 1, [...trail, key], out, seen)
  }
}

/**
 * Replace strings inside the JSON text `raw`, each named by its path, touching nothing else: every other
 * byte stays as it was sent. A path of `[]` replaces the whole string. Paths that name no string are
 * ignored (the caller read them from the same `raw`, so they exist).
 * @example replaceJsonStrings('{"a":1,"t":"bad"}', [{ json: ['t'], text: '***' }]) // '{"a":1,"t":"***"}'
 */
export function replaceJsonStrings(raw: string, replacements: ReadonlyArray<{ json: JsonPath; text: string }>): string {
  const whole = replacements.find((r) => r.json.length === 0)
  if (whole !== undefined) return whole.text
  const wanted = new Map<string, string>()
  for (const r of replacements) wanted.set(JSON.stringify(r.json), r.text)
  const spans = new Map<string, [number, number]>()
  new JsonScanner(raw, wanted, spans).value([])
  const edits = [...spans].map(([key, [start, end]]) => ({ start, end, text: JSON.stringify(wanted.get(key)) }))
  edits.sort((a, b) => a.start - b.start)
  let out = ''
  let cursor = 0
  for (const e of edits) {
    out += raw.slice(cursor, e.start) + e.text
    cursor = e.end
  }
  return out + raw.slice(cursor)
}

/**
 * One pass over JSON text that notes where the string tokens at the wanted paths are. It trusts its input
 * (the same text `JSON.parse` accepted when the strings were read); a later duplicate key wins, as in
 * `JSON.parse`.
 */
class JsonScanner {
  i = 0
  constructor(
    private readonly raw: string,
    private readonly wanted: ReadonlyMap<string, string>,
    private readonly spans: Map<string, [number, number]>,
  ) {}

  private ws(): void {
    const raw = this.raw
    while (this.i < raw.length) {
      const c = raw.charCodeAt(this.i)
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return
      this.i++
    }
  }

  /** Skip a string token starting at `i` (a `"`); its decoded value. */
  private string(): string {
    const start = this.i
    this.i++
    const raw = this.raw
    while (raw.charCodeAt(this.i) !== 0x22) this.i += raw.charCodeAt(this.i) === 0x5c ? 2 : 1
    this.i++
    return JSON.parse(raw.slice(start, this.i)) as string
  }

  value(path: Array<string | number>): void {
    this.ws()
    const c = this.raw.charCodeAt(this.i)
    if (c === 0x22) {
      const start = this.i
      this.string()
      const key = JSON.stringify(path)
      if (this.wanted.has(key)) this.spans.set(key, [start, this.i])
    } else if (c === 0x7b) {
      this.i++
      this.ws()
      if (this.raw.charCodeAt(this.i) === 0x7d) {
        this.i++
        return
      }
      for (;;) {
        this.ws()
        const k = this.string()
        this.ws()
        this.i++ // ':'
        this.value([...path, k])
        this.ws()
        if (this.raw.charCodeAt(this.i++) === 0x7d) return
      }
    } else if (c === 0x5b) {
      this.i++
      this.ws()
      if (this.raw.charCodeAt(this.i) === 0x5d) {
        this.i++
        return
      }
      for (let n = 0; ; n++) {
        this.value([...path, n])
        this.ws()
        if (this.raw.charCodeAt(this.i++) === 0x5d) return
      }
    } else {
      // A number, true, false or null: up to the next delimiter.
      while (this.i < this.raw.length && !',]} \n\r\t'.includes(this.raw[this.i] as string)) this.i++
    }
  }
}
