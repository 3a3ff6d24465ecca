-- Record a no-show strike for a person and apply the rules' penalties: a weight factor for later draws
-- and, after enough strikes within the window, a ban from entering. Old strikes expire.
-- KEYS[1] person's strikes zset   KEYS[2] penalties hash (global)   KEYS[3] nik hash (ban)
-- ARGV[1] nikHash  ARGV[2] appointment code  ARGV[3] now ms  ARGV[4] strike window ms
-- ARGV[5] strikes for a ban  ARGV[6] ban ms
-- Returns {strikes in window, banned until ms or 0}
local now = tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], now, ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[4]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
local strikes = redis.call('ZCARD', KEYS[1])
local penaltyUntil = now + tonumber(ARGV[4])
local current = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if penaltyUntil > current then
  redis.call('HSET', KEYS[2], ARGV[1], penaltyUntil)
end
local banned = 0
if strikes >= tonumber(ARGV[5]) and tonumber(ARGV[6]) > 0 then
  banned = now + tonumber(ARGV[6])
  redis.call('HSET', KEYS[3], 'bannedUntil', banned)
end
return {strikes, banned}
