-- Shared by the wrk scripts of `make bench`: seeded randomness per thread (the same
-- sequence for every server measured) and a machine-readable summary line.
local M = {}
local threads = {}
local counter = 0

function M.setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

-- args: seed xmin ymin xmax ymax then script-specific ones
function M.parse(args)
  local seed = tonumber(args[1])
  math.randomseed(seed * 1000 + (tid or 0))
  return {
    xmin = tonumber(args[2]), ymin = tonumber(args[3]),
    xmax = tonumber(args[4]), ymax = tonumber(args[5]),
  }
end

function M.uniform(lo, hi)
  return lo + (hi - lo) * math.random()
end

function M.done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "seconds": %.3f, "rps": %.2f, "p50_ms": %.2f, ' ..
    '"p99_ms": %.2f, "mean_ms": %.2f, "errors": %d, "non_2xx": %d, "socket_errors": %d, ' ..
    '"bytes": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.mean / 1000,
    e.status + e.connect + e.read + e.write + e.timeout, e.status,
    e.connect + e.read + e.write + e.timeout, summary.bytes))
end

return M
