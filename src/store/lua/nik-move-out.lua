-- First step of moving a person from a NIK hash under NIK_HASH_KEY_PREVIOUS to the hash under the new key
-- (docs/operations.md, "Rotating the NIK hashing key"): fences the old keys and reads what must move.
-- KEYS[1] old nik hash (binding, ban, penalty, active slot)   KEYS[2] old person's strikes zset
-- ARGV[1] account id   ARGV[2] fence pointer ("moved|-|-")   ARGV[3] now ms
-- The fence takes the old active slot, so a join that read the person record before the move and claims
-- under the old hash is refused (active_elsewhere) instead of opening a second active slot for the person.
-- Returns {0} nothing bound here | {-1} bound to another account | {-2} the person holds an active entry
-- or appointment (move later) | {1, personId, bannedUntil, penaltyUntil, strikesPttlMs, {code, ms, ...}}
local owner = redis.call('HGET', KEYS[1], 'accountId')
if not owner then
  return {0}
end
if owner ~= ARGV[1] then
  return {-1}
end
local active = redis.call('HGET', KEYS[1], 'active')
if active and string.sub(active, 1, #ARGV[2] + 1) ~= ARGV[2] .. '@' then
  return {-2}
end
redis.call('HSET', KEYS[1], 'active', ARGV[2] .. '@' .. ARGV[3], 'movedAt', ARGV[3])
local h = redis.call('HMGET', KEYS[1], 'personId', 'bannedUntil', 'penaltyUntil')
return {1, h[1] or '', h[2] or '0', h[3] or '0', redis.call('PTTL', KEYS[2]),
  redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')}
