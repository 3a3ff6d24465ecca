-- Release a person's active slot, but only if it still holds the given pointer (a later claim wins).
-- KEYS[1] person's active key   KEYS[2] claim time key
-- ARGV[1] the pointer to release
-- Returns 1 released | 0 not held by that pointer
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1], KEYS[2])
  return 1
end
return 0
