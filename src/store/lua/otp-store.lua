-- Store a one-time sign-in code whose send has just succeeded (reserved by otp-issue.lua), and count it
-- towards the contact's window.
-- KEYS[1] otp hash of the contact
-- ARGV[1] code hash   ARGV[2] now (ms)   ARGV[3] code lifetime (ms)   ARGV[4] minimum resend interval (ms)
-- ARGV[5] window (ms)
-- Returns 1.
--- @include "otp-window"

local now = tonumber(ARGV[2])
local lifetime = tonumber(ARGV[3])
local resend = tonumber(ARGV[4])
local window = tonumber(ARGV[5])
-- Stored as a space-separated list, oldest first.
local issued = otp_window({KEYS[1]}, {now, window})
issued[#issued + 1] = tostring(now)
redis.call('HSET', KEYS[1], 'codeHash', ARGV[1], 'expiresAt', now + lifetime, 'tries', 0, 'sentAt', now,
  'issued', table.concat(issued, ' '))
redis.call('HDEL', KEYS[1], 'pendingUntil')
-- Kept while the code lives, the resend interval runs, or an issue still counts in the window.
local keep = math.max(lifetime + resend, tonumber(issued[1]) + window - now)
redis.call('PEXPIRE', KEYS[1], keep)
return 1
