-- Release a person's active slot, but only if it still holds the given pointer (a later claim wins).
-- KEYS[1] the person's nik hash (field `active`: "pointer@claimedAtMs")
-- ARGV[1] the pointer to release
-- Returns 1 released | 0 not held by that pointer
local v = redis.call('HGET', KEYS[1], 'active')
if v and string.sub(v, 1, #ARGV[1] + 1) == ARGV[1] .. '@' then
  redis.call('HDEL', KEYS[1], 'active')
  return 1
end
return 0
