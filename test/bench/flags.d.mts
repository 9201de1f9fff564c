/** One flag of a bench script: a parseArgs option plus what its help line says. */
export interface Flag {
  type: 'string' | 'boolean'
  short?: string
  default?: string | boolean
  /** What the flag does, for --help. */
  help: string
  /** The placeholder of a string flag's value in the help, as in --rounds=N. */
  value?: string
  /** The default as the help states it, when it is not `default` (or there is none). */
  defaultText?: string
}

export interface FlagSpec {
  /** The command lines that run the script, the npm script first. */
  usage: string[]
  /** What the script measures or does. */
  about: string
  flags: Record<string, Flag>
}

/** parseArgs' values for `F`: a switch is true or absent, a string flag with a default is always there. */
export type FlagValues<F extends Record<string, Flag>> = {
  [K in keyof F]: F[K]['type'] extends 'boolean' ? boolean | undefined : F[K] extends { default: string } ? string : string | undefined
}

/** The flags from process.argv (or `argv`); -h/--help prints the help and exits 0, a bad flag exits 2. */
export function parseFlags<const F extends Record<string, Flag>>(spec: FlagSpec & { flags: F }, argv?: string[]): FlagValues<F>
/** Prints `problem` and the hint to see --help, as one sentence on stderr, and exits 2. */
export function usageError(problem: string): never
/** `raw` (the value of --`name`) as a whole number of at least `min` (default 1), or a usage error. */
export function whole(name: string, raw: string, min?: number): number
/** `raw` (the value of --`name`) as a number greater than 0, or a usage error. */
export function positive(name: string, raw: string): number
