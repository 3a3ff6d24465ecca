-- Check a one-time code: single use, expiring, and locked after too many wrong tries.
-- KEYS[1] otp hash of the contact
-- ARGV[1] code hash   ARGV[2] now (ms)   ARGV[3] max wrong tries   ARGV[4] lock (ms)
-- Returns {1, 0} ok | {-2, wait ms} locked | {-3, 0} no valid code | {-4, tries left}.
local now = tonumber(ARGV[2])
local locked = tonumber(redis.call('HGET', KEYS[1], 'lockedUntil') or '0')
if locked > now then
  return {-2, locked - now}
end
local stored = redis.call('HGET', KEYS[1], 'codeHash')
local expires = tonumber(redis.call('HGET', KEYS[1], 'expiresAt') or '0')
if not stored or expires <= now then
  return {-3, 0}
end
if stored == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return {1, 0}
end
local tries = redis.call('HINCRBY', KEYS[1], 'tries', 1)
if tries >= tonumber(ARGV[3]) then
  redis.call('HSET', KEYS[1], 'lockedUntil', now + tonumber(ARGV[4]))
  redis.call('HDEL', KEYS[1], 'codeHash')
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
  return {-2, tonumber(ARGV[4])}
end
return {-4, tonumber(ARGV[3]) - tries}
