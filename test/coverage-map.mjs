// Every test may cover any source file; dist/ (the build) and test helpers are never counted,
// so the 100% gate applies to exactly the code we ship, measured on its TypeScript source.
export default () => ['core/**/*.ts', 'plugins/**/*.ts', 'server/**/*.ts']
