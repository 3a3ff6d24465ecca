-- Second step of a NIK hash move (see nik-move-out.lua): binds the new hash to the same account and person
-- and carries the ban, the penalty and the strikes over, keeping whichever is later. Idempotent.
-- KEYS[1] new nik hash   KEYS[2] new strikes zset
-- ARGV[1] account id   ARGV[2] person id   ARGV[3] bannedUntil ms   ARGV[4] penaltyUntil ms
-- ARGV[5] strikes PTTL ms (negative: none)   ARGV[6] key id of the hashing key   ARGV[7..] code, ms pairs
-- Returns 1 moved | -1 the new hash is bound to another account or person (left alone)
local owner = redis.call('HGET', KEYS[1], 'accountId')
if owner and (owner ~= ARGV[1] or redis.call('HGET', KEYS[1], 'personId') ~= ARGV[2]) then
  return -1
end
redis.call('HSET', KEYS[1], 'accountId', ARGV[1], 'personId', ARGV[2], 'key', ARGV[6])
for i, field in ipairs({'bannedUntil', 'penaltyUntil'}) do
  local incoming = tonumber(ARGV[2 + i]) or 0
  if incoming > (tonumber(redis.call('HGET', KEYS[1], field) or '0') or 0) then
    redis.call('HSET', KEYS[1], field, ARGV[2 + i])
  end
end
if #ARGV > 6 then
  for i = 7, #ARGV, 2 do
    redis.call('ZADD', KEYS[2], ARGV[i + 1], ARGV[i])
  end
  local ttl = tonumber(ARGV[5])
  if ttl > 0 and redis.call('PTTL', KEYS[2]) < ttl then
    redis.call('PEXPIRE', KEYS[2], ttl)
  end
end
return 1
