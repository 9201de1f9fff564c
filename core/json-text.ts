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
  // The wanted paths as a tree, so the scan knows at each value whether any wanted string lies below it.
  const root: PathNode = { children: new Map() }
  for (const r of replacements) {
    let node = root
    for (const step of r.json) {
      let next = node.children.get(step)
      if (next === undefined) node.children.set(step, (next = { children: new Map() }))
      node = next
    }
    node.text = r.text
  }
  const edits: Array<{ start: number; end: number; text: string }> = []
  new JsonScanner(raw, edits).value(root)
  edits.sort((a, b) => a.start - b.start)
  let out = ''
  let cursor = 0
  for (const e of edits) {
    out += raw.slice(cursor, e.start) + e.text
    cursor = e.end
  }
  return out + raw.slice(cursor)
}

/** A step of the wanted paths: the steps below it, and the replacement when a wanted path ends here. */
interface PathNode {
  readonly children: Map<string | number, PathNode>
  text?: string
}

/**
 * One pass over JSON text that notes where the string tokens at the wanted paths are, in time linear in the
 * text however deep it nests: it descends (recursively) only along the wanted paths, which are short, and
 * skips every other value with a flat scan. It trusts its input (the same text `JSON.parse` accepted when the
 * strings were read); a later duplicate key wins, as in `JSON.parse`.
 */
class JsonScanner {
  i = 0
  /** The span found for each wanted string, by its node (a later duplicate key replaces an earlier one). */
  private readonly found = new Map<PathNode, { start: number; end: number; text: string }>()
  constructor(
    private readonly raw: string,
    private readonly edits: Array<{ start: number; end: number; text: string }>,
  ) {}

  private ws(): void {
    const raw = this.raw
    while (this.i < raw.length) {
      const c = raw.charCodeAt(this.i)
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return
      this.i++
    }
  }

  /** Step over a string token starting at `i` (a `"`). */
  private skipString(): void {
    const raw = this.raw
    this.i++
    while (raw.charCodeAt(this.i) !== 0x22) this.i += raw.charCodeAt(this.i) === 0x5c ? 2 : 1
    this.i++
  }

  /** Step over a string token starting at `i`; its decoded value. */
  private string(): string {
    const start = this.i
    this.skipString()
    return JSON.parse(this.raw.slice(start, this.i)) as string
  }

  /** Step over one value of any depth, without recursion: strings skipped whole, brackets counted. */
  private skip(): void {
    const raw = this.raw
    let depth = 0
    do {
      this.ws()
      const c = raw.charCodeAt(this.i)
      if (c === 0x22) this.skipString()
      else if (c === 0x7b || c === 0x5b) {
        depth++
        this.i++
      } else if (c === 0x7d || c === 0x5d) {
        depth--
        this.i++
      } else if (c === 0x2c || c === 0x3a) this.i++
      // A number, true, false or null: up to the next delimiter.
      else while (this.i < raw.length && !',:]} \n\r\t'.includes(raw[this.i] as string)) this.i++
    } while (depth > 0)
  }

  value(node: PathNode | undefined): void {
    this.ws()
    const c = this.raw.charCodeAt(this.i)
    // Off the wanted paths, or a number, true, false or null: nothing to find inside.
    if (node === undefined || (c !== 0x22 && c !== 0x7b && c !== 0x5b)) return this.skip()
    if (c === 0x22) {
      const start = this.i
      this.skipString()
      if (node.text !== undefined) {
        const edit = { start, end: this.i, text: JSON.stringify(node.text) }
        const earlier = this.found.get(node)
        if (earlier === undefined) this.edits.push(edit)
        else Object.assign(earlier, edit)
        this.found.set(node, earlier ?? edit)
      }
      return
    }
    const close = c === 0x7b ? 0x7d : 0x5d
    this.i++
    this.ws()
    if (this.raw.charCodeAt(this.i) === close) {
      this.i++
      return
    }
    let n = 0
    do {
      this.ws()
      if (close === 0x7d) {
        const k = this.string()
        this.ws()
        this.i++ // ':'
        this.value(node.children.get(k))
      } else this.value(node.children.get(n++))
      this.ws()
    } while (this.raw.charCodeAt(this.i++) !== close)
  }
}
