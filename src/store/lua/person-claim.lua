-- Claim a person's one active slot (entry or appointment) before the office step of a join.
-- KEYS[1] the person's nik hash (bannedUntil; field `active` holds the claim)
-- ARGV[1] active pointer "officeId|drawDate|ticket"   ARGV[2] now ms
-- The claim stored is "pointer@claimedAtMs": the claim time tells a crashed half-join from one in flight.
-- It is a field of the hash every registered person already has, not a key of its own: one key per
-- person for ~50 bytes of value would cost three times the value.
-- Returns {1, ''} claimed | {-2, "pointer@ms"} already active | {-4, bannedUntil ms} banned
local held = redis.call('HMGET', KEYS[1], 'bannedUntil', 'active')
local bannedUntil = tonumber(held[1] or '0')
if bannedUntil > tonumber(ARGV[2]) then
  return {-4, tostring(bannedUntil)}
end
if held[2] then
  return {-2, held[2]}
end
redis.call('HSET', KEYS[1], 'active', ARGV[1] .. '@' .. ARGV[2])
return {1, ''}
