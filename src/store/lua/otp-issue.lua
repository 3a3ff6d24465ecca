-- Store a new one-time sign-in code unless the contact is locked or asked too recently.
-- KEYS[1] otp hash of the contact
-- ARGV[1] code hash   ARGV[2] now (ms)   ARGV[3] code lifetime (ms)   ARGV[4] minimum resend interval (ms)
-- Returns {1, 0} stored | {-1, wait ms} too soon | {-2, wait ms} locked.
local now = tonumber(ARGV[2])
local locked = tonumber(redis.call('HGET', KEYS[1], 'lockedUntil') or '0')
if locked > now then
  return {-2, locked - now}
end
local sent = tonumber(redis.call('HGET', KEYS[1], 'sentAt') or '0')
if now - sent < tonumber(ARGV[4]) then
  return {-1, tonumber(ARGV[4]) - (now - sent)}
end
redis.call('HSET', KEYS[1], 'codeHash', ARGV[1], 'expiresAt', now + tonumber(ARGV[3]), 'tries', 0, 'sentAt', now)
redis.call('HDEL', KEYS[1], 'lockedUntil')
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) + tonumber(ARGV[4]))
return {1, 0}
