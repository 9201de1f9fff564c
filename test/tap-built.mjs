// Run after install (package.json "prepare", so a fresh `npm ci` sets tap up with the rest) and again before tap
// ("pretest", for an install that skipped scripts): exits 1 when tap's built plugin set is not the one
// package.json configures, as after a fresh `npm ci`. tap rebuilds it itself on its first run, but only after
// choosing the test processes' loaders from the stale build, so every process of that run would load the
// TypeScript plugin left out here (a second compiler loaded in each); `tap build` first avoids that.
import { TapConfig } from '@tapjs/config'
import { signature } from '@tapjs/test'

const config = await TapConfig.load()
process.exitCode = config.pluginSignature === signature ? 0 : 1
