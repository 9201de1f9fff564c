// Preloaded into a server under test (`node --import=./cpu-probe.mjs …`, spawned with an IPC channel): answers
// the bench's 'cpu' message with the process' own process.cpuUsage(), in µs, so the bench reads each server's
// CPU time around each slice of load at µs resolution (/proc's clock ticks are 10 ms). The channel is unref'd:
// it never keeps a server from exiting, and a server started without one is left alone.
// A cluster worker's channel is its primary's, not the bench's: left alone.
if (typeof process.send === 'function' && process.channel !== undefined && process.env.NODE_UNIQUE_ID === undefined) {
  process.on('message', (m) => {
    if (m === 'cpu') {
      const { user, system } = process.cpuUsage()
      process.send({ cpu: user + system })
    }
  })
  process.channel.unref()
}
