-- wrk script of the realistic mix (bench/mix.sh): each request picks a path at random, by weight,
-- from the file named by MIX_URLS ("weight path" lines, bench/mixsite.py urls). Counts non-2xx
-- responses and the page cache's X-Page-Cache: hit|miss header, per second, and prints after the
-- run one "MIX ..." summary line and "BUCKET second ok non2xx hit miss" lines (mix.sh reads them).
-- Flat tables of numbers only: wrk copies them from each thread at the end.
local threads = {}
local paths = {}
local counter = 0

local function load(file)
  local list = {}
  for line in io.lines(file) do
    local weight, path = line:match("^(%d+)%s+(%S+)")
    if weight then
      for _ = 1, tonumber(weight) do table.insert(list, path) end
    end
  end
  return list
end

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  paths = load(os.getenv("MIX_URLS"))
  math.randomseed(os.time() * 100 + id)
  ok, bad, hit, miss = {}, {}, {}, {}
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
  local second = os.time()
  if status >= 200 and status < 300 then
    ok[second] = (ok[second] or 0) + 1
  else
    bad[second] = (bad[second] or 0) + 1
  end
  local cache = headers["X-Page-Cache"] or headers["x-page-cache"]
  if cache == "hit" then
    hit[second] = (hit[second] or 0) + 1
  elseif cache == "miss" then
    miss[second] = (miss[second] or 0) + 1
  end
end

function done(summary, latency, requests)
  local totals, seconds = {ok = {}, bad = {}, hit = {}, miss = {}}, {}
  local sums = {ok = 0, bad = 0, hit = 0, miss = 0}
  for _, thread in ipairs(threads) do
    for name, table_ in pairs(totals) do
      for second, n in pairs(thread:get(name)) do
        if not seconds[second] then seconds[second] = true end
        table_[second] = (table_[second] or 0) + n
        sums[name] = sums[name] + n
      end
    end
  end
  local sorted = {}
  for second in pairs(seconds) do table.insert(sorted, second) end
  table.sort(sorted)
  for _, s in ipairs(sorted) do
    io.write(string.format("BUCKET %d %d %d %d %d\n", s, totals.ok[s] or 0, totals.bad[s] or 0,
      totals.hit[s] or 0, totals.miss[s] or 0))
  end
  io.write(string.format(
    "MIX requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.1f " ..
    "non2xx=%d hit=%d miss=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, sums.bad, sums.hit, sums.miss,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
