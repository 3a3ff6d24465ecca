-- Release a person's active slot, but only if it still holds the given pointer (a later claim wins).
-- KEYS[1] person's active key ("pointer@claimedAtMs")
-- ARGV[1] the pointer to release
-- Returns 1 released | 0 not held by that pointer
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, #ARGV[1] + 1) == ARGV[1] .. '@' then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
