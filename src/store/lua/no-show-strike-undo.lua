-- Take back one strike recorded in error (a check-in undone at the counter): the strike goes, and the
-- penalty and ban it set return to what they were before it, unless something has changed them since.
-- KEYS[1] person's strikes zset   KEYS[2] nik hash (ban, penalty)
-- ARGV[1] the strike's member   ARGV[2] penalty until the strike set   ARGV[3] penalty until before it (0 none)
-- ARGV[4] banned until the strike set (0 none)   ARGV[5] banned until before it (0 none)
-- Returns the penalty until ms now in force (0 if none); the caller copies it into the penalties hash.
redis.call('ZREM', KEYS[1], ARGV[1])
local function restore(field, set, before)
  if set ~= '0' and redis.call('HGET', KEYS[2], field) == set then
    if before == '0' then
      redis.call('HDEL', KEYS[2], field)
    else
      redis.call('HSET', KEYS[2], field, before)
    end
  end
end
restore('penaltyUntil', ARGV[2], ARGV[3])
restore('bannedUntil', ARGV[4], ARGV[5])
return tonumber(redis.call('HGET', KEYS[2], 'penaltyUntil') or '0')
