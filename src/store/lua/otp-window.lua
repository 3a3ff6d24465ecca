-- The issue times of a contact's sign-in codes that still count in the window, oldest first (otp-issue.lua
-- and otp-store.lua include it, so both count the window the same way).
-- KEYS[1] otp hash of the contact
-- ARGV[1] now (ms)   ARGV[2] window (ms)
-- Returns the issue times (ms, as strings) later than now - window, oldest first.
local since = tonumber(ARGV[1]) - tonumber(ARGV[2])
local issued = {}
for at in string.gmatch(redis.call('HGET', KEYS[1], 'issued') or '', '%d+') do
  if tonumber(at) > since then
    issued[#issued + 1] = at
  end
end
return issued
