-- Sign-ups: every request POSTs the public form with a phone no one used, with the
-- CSRF cookie and token the bench got from a first visit (arguments after `--`):
--   path, cookie header, form before the phone, form after it, run digit.
-- Only a redirect to the person's own page counts as a sign-up ("ok"); anything
-- else is "refused".
local counter = 0

function init(args)
   path, cookie, before, after, run = args[1], args[2], args[3], args[4], args[5]
   origin = "http://" .. wrk.host .. ":" .. wrk.port
   ok, refused = 0, 0
end

function request()
   counter = counter + 1
   -- +21269 then 7 digits: the run, this thread, a counter (the demo uses +2126000...).
   local phone = string.format("%%2B21269%s%d%05d", run, tid, counter % 100000)
   return wrk.format("POST", path, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Cookie"] = cookie,
      ["Origin"] = origin,
      ["Referer"] = origin .. path,
   }, before .. phone .. after)
end

function response(status, headers, body)
   local location = headers["Location"] or ""
   if status == 302 and location:match("^/ar/events/r/[^/]+/$") then
      ok = ok + 1
   else
      refused = refused + 1
   end
end
