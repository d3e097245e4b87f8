-- wrk script for bench/loadtest.py: a mix of pages and API calls, every response checked.
--
-- Arguments (after `--`): a file of paths (one a line, cycled from a per-thread offset),
-- the two /api/stats bodies a whole graph may give (dataset A, dataset B, with their
-- "loaded_at" value removed), and the most requests one thread may send.
-- Each thread counts statuses by class and /api/stats answers by which graph they show;
-- done() prints one line, "LOADTEST {json}", that bench/loadtest.py parses.

local paths = {}
local cursor = 0
local expected_a, expected_b = nil, nil
local max_requests = 0
local threads = {}
local counter = 1

-- per-thread tallies (read in done() with thread:get)
responses = 0
s2xx, s3xx, s4xx, s5xx, sother = 0, 0, 0, 0, 0
stats_a, stats_b, stats_mixed = 0, 0, 0
bad_sample = ""

local function read_all(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  return text
end

local function normalise(body)
  return (string.gsub(body, '"loaded_at":%s*"[^"]*"', '"loaded_at":""'))
end

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then
      table.insert(paths, line)
    end
  end
  expected_a = normalise(read_all(args[2]))
  expected_b = normalise(read_all(args[3]))
  max_requests = tonumber(args[4])
  -- spread the threads over the mix so they do not ask for the same page at once
  cursor = ((id or 1) * 7919) % #paths
end

function request()
  cursor = cursor % #paths + 1
  return wrk.format("GET", paths[cursor])
end

function response(status, headers, body)
  responses = responses + 1
  if status >= 200 and status < 300 then
    s2xx = s2xx + 1
  elseif status >= 300 and status < 400 then
    s3xx = s3xx + 1
  elseif status >= 400 and status < 500 then
    s4xx = s4xx + 1
  elseif status >= 500 and status < 600 then
    s5xx = s5xx + 1
  else
    sother = sother + 1
  end
  if status ~= 200 and bad_sample == "" then
    bad_sample = tostring(status) .. " " .. string.sub(body or "", 1, 300)
  end
  -- /api/stats is recognised by its body (wrk does not pair responses with requests)
  if status == 200 and body and string.sub(body, 1, 12) == '{"backend":"' then
    local seen = normalise(body)
    if seen == expected_a then
      stats_a = stats_a + 1
    elseif seen == expected_b then
      stats_b = stats_b + 1
    else
      stats_mixed = stats_mixed + 1
      if bad_sample == "" then
        bad_sample = "mixed graph: " .. string.sub(body, 1, 300)
      end
    end
  end
  if responses >= max_requests then
    wrk.thread:stop()
  end
end

local function json_string(text)
  text = string.gsub(text, "[%c\"\\]", function(c)
    return string.format("\\u%04x", string.byte(c))
  end)
  return '"' .. text .. '"'
end

function done(summary, latency, requests)
  local t = { s2xx = 0, s3xx = 0, s4xx = 0, s5xx = 0, sother = 0,
              stats_a = 0, stats_b = 0, stats_mixed = 0 }
  local sample = ""
  for _, thread in ipairs(threads) do
    for key, _ in pairs(t) do
      t[key] = t[key] + (thread:get(key) or 0)
    end
    local bad = thread:get("bad_sample")
    if sample == "" and bad and bad ~= "" then
      sample = bad
    end
  end
  local e = summary.errors
  io.write(string.format(
    'LOADTEST {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"status":{"2xx":%d,"3xx":%d,"4xx":%d,"5xx":%d,"other":%d},' ..
    '"stats":{"a":%d,"b":%d,"mixed":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f},"bad_sample":%s}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    t.s2xx, t.s3xx, t.s4xx, t.s5xx, t.sother,
    t.stats_a, t.stats_b, t.stats_mixed,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean, json_string(sample)))
end
