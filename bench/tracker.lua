-- wrk script for bench/tracker.sh: GET /c/{code} over every short code of the
-- sample hub, in turn, with a browser's headers (the tracker keeps clicks
-- without a user agent as bots: a person's click is what is measured).
--
--   TRACKER_CODES=/path/to/codes.txt wrk -t2 -c64 -d15s --latency -s bench/tracker.lua http://127.0.0.1:PORT
--
-- codes.txt holds one code per line; without it (or when empty) every request
-- is GET /c/abc. Each request comes from one of TRACKER_VISITORS (default
-- 65536) visitors, told apart by an `X-Forwarded-For` address (10.x.y.z, a
-- block per thread; the tracker runs with --trust-proxy, nginx ignores it):
-- real traffic is many people, and one visitor's clicks past its allowance
-- are counted per hour rather than stored one by one (README, "Flood
-- allowance"), which is not the path to measure. Each thread starts at another place in the list, so the
-- threads do not ask for the same code at the same time. wrk does not follow
-- redirects: a 302 is a completed request.
--
-- At the end, besides wrk's own report, one machine-readable line is printed:
--   BENCH requests=N duration_us=N rps=F p50_us=N p90_us=N p99_us=N max_us=N
--         non_2xx_3xx=N connect=N read=N write=N timeout=N bytes=N

wrk.method = "GET"
wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
wrk.headers["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
wrk.headers["Accept-Language"] = "fr-FR,fr;q=0.9,en;q=0.8"

local thread_count = 0

-- Runs in the main Lua state, once per thread before it starts.
function setup(thread)
   thread:set("thread_index", thread_count)
   thread_count = thread_count + 1
end

local function read_codes()
   local codes = {}
   local path = os.getenv("TRACKER_CODES")
   if path and path ~= "" then
      local f = io.open(path, "r")
      if f then
         for line in f:lines() do
            local code = line:match("^%s*(.-)%s*$")
            if code ~= "" then codes[#codes + 1] = code end
         end
         f:close()
      else
         io.stderr:write("tracker.lua: cannot read TRACKER_CODES=" .. path .. "\n")
      end
   end
   if #codes == 0 then codes[1] = "abc" end
   return codes
end

local requests = {}
local next_request = 1

-- Runs in each thread's own Lua state: the requests are formatted once here,
-- so request() costs the same for nginx and for the tracker.
function init(args)
   local codes = read_codes()
   local index = thread_index or 0
   local visitors = tonumber(os.getenv("TRACKER_VISITORS") or "") or 65536
   if visitors < 1 then visitors = 1 end
   for i = 1, visitors do
      local code = codes[((i - 1) % #codes) + 1]
      local n = i - 1
      local address = string.format("10.%d.%d.%d", index % 256, math.floor(n / 256) % 256, n % 256)
      requests[i] = wrk.format(nil, "/c/" .. code, { ["X-Forwarded-For"] = address })
   end
   next_request = ((index * 7919) % #requests) + 1
end

function request()
   local r = requests[next_request]
   next_request = next_request + 1
   if next_request > #requests then next_request = 1 end
   return r
end

function done(summary, latency, _)
   local e = summary.errors
   local rps = 0
   if summary.duration > 0 then rps = summary.requests / (summary.duration / 1e6) end
   io.write(string.format(
      "BENCH requests=%d duration_us=%d rps=%.2f p50_us=%d p90_us=%d p99_us=%d max_us=%d non_2xx_3xx=%d connect=%d read=%d write=%d timeout=%d bytes=%d\n",
      summary.requests, summary.duration, rps,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      e.status, e.connect, e.read, e.write, e.timeout, summary.bytes))
end
