-- Store a one-time sign-in code whose send has just succeeded (reserved by otp-issue.lua).
-- KEYS[1] otp hash of the contact
-- ARGV[1] code hash   ARGV[2] now (ms)   ARGV[3] code lifetime (ms)   ARGV[4] minimum resend interval (ms)
-- Returns 1.
local now = tonumber(ARGV[2])
redis.call('HSET', KEYS[1], 'codeHash', ARGV[1], 'expiresAt', now + tonumber(ARGV[3]), 'tries', 0, 'sentAt', now)
redis.call('HDEL', KEYS[1], 'lockedUntil', 'pendingUntil')
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) + tonumber(ARGV[4]))
return 1
