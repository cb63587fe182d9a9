-- wrk script: counts responses per second, 2xx/3xx as ok and the rest as errors, and prints
-- "BUCKET second ok errors" lines after the run (bench/pg_restart.sh reads them).
-- Flat tables of numbers only: wrk copies them from each thread at the end.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok = {}
  bad = {}
end

function response(status, headers, body)
  local second = os.time()
  if status >= 200 and status < 400 then
    ok[second] = (ok[second] or 0) + 1
  else
    bad[second] = (bad[second] or 0) + 1
  end
end

function done(summary, latency, requests)
  local total_ok, total_bad, seconds = {}, {}, {}
  for _, thread in ipairs(threads) do
    for second, n in pairs(thread:get("ok")) do
      if total_ok[second] == nil and total_bad[second] == nil then table.insert(seconds, second) end
      total_ok[second] = (total_ok[second] or 0) + n
    end
    for second, n in pairs(thread:get("bad")) do
      if total_ok[second] == nil and total_bad[second] == nil then table.insert(seconds, second) end
      total_bad[second] = (total_bad[second] or 0) + n
    end
  end
  table.sort(seconds)
  for _, second in ipairs(seconds) do
    io.write(string.format("BUCKET %d %d %d\n", second, total_ok[second] or 0, total_bad[second] or 0))
  end
  io.write(string.format("SOCKET_ERRORS connect=%d read=%d write=%d timeout=%d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
