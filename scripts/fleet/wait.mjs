export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `check` every `everyMs` until it returns true; throws naming `what` after `timeoutMs`. */
export async function untilTrue(what, timeoutMs, check, everyMs = 50) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await check()) return
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`)
    await sleep(everyMs)
  }
}
