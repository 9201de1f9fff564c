/**
 * Word files and the bundled lists: one term a line, `#` starts a comment line, an optional TAB then a
 * category after the term. Read once, at `create()`.
 * @module
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { PresendError } from '../../core/errors.js'
import { runSliced, runToEnd, type Steps } from '../../core/slices.js'

/** One term read from a file or list. */
export interface FileTerm {
  readonly pattern: string
  readonly category: string | undefined
}

/**
 * Parse the text of a word file.
 * @example parseWordFile('# swear words\nfuck\tsevere\nass\n') // [{ pattern: 'fuck', category: 'severe' }, { pattern: 'ass', category: undefined }]
 */
export function parseWordFile(text: string): FileTerm[] {
  return runToEnd(wordFileSteps(text))
}

/** {@link parseWordFile} as steps that yield every thousand lines or so (a user's file can be large). */
function* wordFileSteps(text: string): Steps<FileTerm[]> {
  const terms: FileTerm[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    if ((i & 1023) === 1023) yield
    const raw = lines[i]!
    const line = raw.replace(/\r$/, '')
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue
    const tab = line.indexOf('\t')
    const pattern = (tab < 0 ? line : line.slice(0, tab)).trim()
    const category = tab < 0 ? '' : line.slice(tab + 1).trim()
    if (pattern !== '') terms.push({ pattern, category: category === '' ? undefined : category })
  }
  return terms
}

/**
 * Read and parse a user's word file, resolved against `baseDir`.
 * @throws PresendError `PRESEND_PROFANITY_FILE` naming the file when it cannot be read.
 */
export async function readWordFile(file: string, baseDir: string): Promise<FileTerm[]> {
  const path = resolve(baseDir, file)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw new PresendError(
      'PRESEND_PROFANITY_FILE',
      `profanity: cannot read words file "${file}" (resolved to ${path}): ${(err as Error).message}. Check the path; relative paths resolve against the config file's folder.`,
      { cause: err },
    )
  }
  return runSliced(wordFileSteps(text))
}

/** A bundled list as read from its files. */
export interface BundledList {
  readonly terms: FileTerm[]
  readonly allow: string[]
  /**
   * Generated variants (word forms, pinyin, homophones) of this list's terms that its curation found to be
   * everyday words, and that are therefore not generated (`lists/<name>.skip.txt`).
   */
  readonly skip: ReadonlySet<string>
}

const bundled = new Map<string, Promise<BundledList>>()

/**
 * A bundled list (`lists/<name>.txt`), its allow list (`lists/<name>.allow.txt`) and the variants its
 * curation dropped (`lists/<name>.skip.txt`), read once per process and shared by every pipeline build.
 * @example const { terms, allow, skip } = await readBundledList('en')
 */
export function readBundledList(name: string): Promise<BundledList> {
  let list = bundled.get(name)
  if (list === undefined) {
    const read = (file: string): Promise<string[]> =>
      readFile(new URL(`./lists/${name}${file}`, import.meta.url), 'utf8').then((text) => parseWordFile(text).map((t) => t.pattern))
    list = Promise.all([
      readFile(new URL(`./lists/${name}.txt`, import.meta.url), 'utf8'),
      read('.allow.txt'),
      read('.skip.txt'),
    ]).then(([terms, allow, skip]) => ({ terms: parseWordFile(terms), allow, skip: new Set(skip) }))
    bundled.set(name, list)
  }
  return list
}
