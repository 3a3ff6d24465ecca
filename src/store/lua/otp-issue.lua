-- Store a new one-time sign-in code unless one was sent too recently or the contact had its codes for the
-- window. Only codes actually issued count towards the window; a refused resend counts nothing. Wrong codes
-- never stop a new one from being asked for (otp-verify.lua burns the code instead).
-- KEYS[1] otp hash of the contact
-- ARGV[1] code hash   ARGV[2] now (ms)   ARGV[3] code lifetime (ms)   ARGV[4] minimum resend interval (ms)
-- ARGV[5] codes per window   ARGV[6] window (ms)
-- Returns {1, 0} stored | {-1, wait ms} too soon | {-3, wait ms} the window's codes are used up.
local now = tonumber(ARGV[2])
local lifetime = tonumber(ARGV[3])
local resend = tonumber(ARGV[4])
local perWindow = tonumber(ARGV[5])
local window = tonumber(ARGV[6])
local sent = tonumber(redis.call('HGET', KEYS[1], 'sentAt') or '0')
if now - sent < resend then
  return {-1, resend - (now - sent)}
end
-- Issue times within the window, oldest first, as a space-separated list (at most perWindow of them).
local issued = {}
for at in string.gmatch(redis.call('HGET', KEYS[1], 'issued') or '', '%d+') do
  if tonumber(at) > now - window then
    issued[#issued + 1] = at
  end
end
if #issued >= perWindow then
  return {-3, tonumber(issued[#issued - perWindow + 1]) + window - now}
end
issued[#issued + 1] = tostring(now)
redis.call('HSET', KEYS[1], 'codeHash', ARGV[1], 'expiresAt', now + lifetime, 'tries', 0, 'sentAt', now,
  'issued', table.concat(issued, ' '))
-- Kept while the code lives, the resend interval runs, or an issue still counts in the window.
local keep = math.max(lifetime + resend, tonumber(issued[1]) + window - now)
redis.call('PEXPIRE', KEYS[1], keep)
return {1, 0}
