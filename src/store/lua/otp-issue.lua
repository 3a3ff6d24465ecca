-- Reserve the right to send a new one-time sign-in code, unless one was sent too recently, another request
-- is sending one now, or the contact had its codes for the window. Only codes actually sent count towards
-- the window (otp-store.lua records them once the send succeeded), so a refused resend or a failed send
-- counts nothing. Wrong codes never stop a new one from being asked for (otp-verify.lua burns the code).
-- KEYS[1] otp hash of the contact
-- ARGV[1] now (ms)   ARGV[2] minimum resend interval (ms)   ARGV[3] how long a send may take (ms)
-- ARGV[4] codes per window   ARGV[5] window (ms)
-- Returns {1, 0} reserved | {-1, wait ms} too soon (or a send in flight) | {-3, wait ms} the window's
-- codes are used up.
--- @include "otp-window"

local now = tonumber(ARGV[1])
local resend = tonumber(ARGV[2])
local sendMs = tonumber(ARGV[3])
local perWindow = tonumber(ARGV[4])
local window = tonumber(ARGV[5])
local sent = tonumber(redis.call('HGET', KEYS[1], 'sentAt') or '0')
if now - sent < resend then
  return {-1, resend - (now - sent)}
end
local pending = tonumber(redis.call('HGET', KEYS[1], 'pendingUntil') or '0')
if pending > now then
  return {-1, pending - now}
end
local issued = otp_window({KEYS[1]}, {now, window})
if #issued >= perWindow then
  return {-3, tonumber(issued[#issued - perWindow + 1]) + window - now}
end
redis.call('HSET', KEYS[1], 'pendingUntil', now + sendMs)
if redis.call('PTTL', KEYS[1]) < sendMs then redis.call('PEXPIRE', KEYS[1], sendMs) end
return {1, 0}
