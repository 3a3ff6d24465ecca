-- Record a no-show strike for a person and apply the rules' penalties: a weight factor for later draws
-- and, after enough strikes within the window, a ban from entering. Old strikes expire.
-- KEYS[1] person's strikes zset   KEYS[2] nik hash (ban, penalty)
-- ARGV[1] appointment code  ARGV[2] now ms  ARGV[3] strike window ms  ARGV[4] strikes for a ban  ARGV[5] ban ms
-- Returns {strikes in window, banned until ms or 0, penalty until ms, penalty until before, banned until
-- before (0 if none)}: an undone check-in puts back what this strike replaced (no-show-strike-undo.lua).
-- The caller copies the penalty into the global penalties hash the draw reads (another slot).
local now = tonumber(ARGV[2])
local before = redis.call('HMGET', KEYS[2], 'penaltyUntil', 'bannedUntil')
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
local strikes = redis.call('ZCARD', KEYS[1])
local penaltyUntil = math.max(now + tonumber(ARGV[3]), tonumber(redis.call('HGET', KEYS[2], 'penaltyUntil') or '0'))
-- Lua numbers are doubles; format as an integer string so Redis stores an exact millisecond count.
redis.call('HSET', KEYS[2], 'penaltyUntil', string.format('%.0f', penaltyUntil))
local banned = 0
if strikes >= tonumber(ARGV[4]) and tonumber(ARGV[5]) > 0 then
  banned = now + tonumber(ARGV[5])
  redis.call('HSET', KEYS[2], 'bannedUntil', string.format('%.0f', banned))
end
return {strikes, banned, penaltyUntil, tonumber(before[1] or '0'), tonumber(before[2] or '0')}
