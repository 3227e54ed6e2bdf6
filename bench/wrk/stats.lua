-- Appended to every wrk script of the bench: at the end, one line of JSON that
-- bench/load.py reads. The latency histogram (microseconds -> requests) is exact, so
-- rounds of one target can be merged into true percentiles.
threads = threads or {}

function setup(thread)
   thread:set("tid", #threads)
   table.insert(threads, thread)
end

function done(summary, latency, requests)
   local buckets = {}
   -- latency(i): the i-th distinct latency recorded and how many requests took it.
   for i = 1, #latency do
      local us, count = latency(i)
      table.insert(buckets, string.format("[%d,%d]", us, count))
   end
   local ok, refused = 0, 0
   for _, thread in ipairs(threads) do
      ok = ok + (thread:get("ok") or 0)
      refused = refused + (thread:get("refused") or 0)
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH-WRK {"requests":%d,"duration_us":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"ok":%d,"refused":%d,"latency_us":[%s]}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      ok, refused, table.concat(buckets, ",")))
end
