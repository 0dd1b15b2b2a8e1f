-- wrk script: round-robin over a list of paths, and one parseable result line.
--
--   WRK_PATHS_FILE=paths.txt wrk -t2 -c20 -d30s --latency -s benchmarks/p95.lua http://127.0.0.1:8000
--   wrk ... -s benchmarks/p95.lua http://127.0.0.1:8000 -- paths.txt
--   WRK_THINK_MS=1000 WRK_JITTER_MS=500 wrk ... (each user waits 0.5-1.5 s between requests)
--
-- Paths come from a file (one per line, "#" comments; the file named after
-- "--" wins over WRK_PATHS_FILE) or from WRK_PATHS ("|"-separated). Without
-- either, the URL's own path is requested. Headers given with -H (the
-- session cookie) are sent with every request.
--
-- done() prints one line, "P95LUA {json}", with latency percentiles in
-- milliseconds and wrk's error counts: "status" counts 4xx/5xx answers, so
-- an expired session (a redirect to /login is a 303, not an error) must be
-- ruled out before the run, as web_load.py does.

local paths = {}
local counter = 0

-- Think time: with WRK_THINK_MS set, each connection (one user) waits that
-- long, plus or minus WRK_JITTER_MS chosen at random, before each request.
-- wrk measures latency from sending a request, so the wait is not counted.
-- Without it the run is closed-loop: every connection sends its next request
-- as soon as the answer arrives (the harshest reading of "N users").
local think_ms = tonumber(os.getenv("WRK_THINK_MS") or "") or 0
local jitter_ms = tonumber(os.getenv("WRK_JITTER_MS") or "") or 0
if think_ms > 0 then
  function delay()
    return math.max(0, math.floor(think_ms + (math.random() * 2 - 1) * jitter_ms))
  end
end

local function load_file(name)
  local found = {}
  local f = io.open(name, "r")
  if not f then
    error("p95.lua: cannot read paths file " .. name)
  end
  for line in f:lines() do
    line = line:match("^%s*(.-)%s*$")
    if line ~= "" and line:sub(1, 1) ~= "#" then
      found[#found + 1] = line
    end
  end
  f:close()
  return found
end

local function load_list(value)
  local found = {}
  for path in string.gmatch(value, "[^|]+") do
    found[#found + 1] = path
  end
  return found
end

-- Runs once per thread, each in its own Lua state.
function init(args)
  local file = args[1] or os.getenv("WRK_PATHS_FILE")
  if file and file ~= "" then
    paths = load_file(file)
  elseif os.getenv("WRK_PATHS") and os.getenv("WRK_PATHS") ~= "" then
    paths = load_list(os.getenv("WRK_PATHS"))
  end
  -- Threads start at different places in the list, so they do not all hit
  -- the same (cached) row at the same moment.
  -- Per-thread seed (each thread has its own Lua state): the table address differs.
  math.randomseed(os.time() + (tonumber(tostring({}):match("(%x+)$"), 16) or 0) % 1000003)
  counter = math.random(0, math.max(#paths - 1, 0))
end

function request()
  if #paths == 0 then
    return wrk.format(nil, nil)
  end
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

local function ms(us)
  return string.format("%.2f", us / 1000)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'P95LUA {"requests": %d, "seconds": %.2f, "rps": %.1f, "p50_ms": %s, "p90_ms": %s, "p95_ms": %s, ' ..
    '"p99_ms": %s, "max_ms": %s, "mean_ms": %s, "bytes": %d, "errors": {"connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, seconds, summary.requests / seconds,
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(95)),
    ms(latency:percentile(99)), ms(latency.max), ms(latency.mean), summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout))
end
