-- The floor join's one script: store the entry and count it, as the least a join can write.
-- KEYS[1] entries hash   KEYS[2] counter hash   ARGV[1] person id   ARGV[2] office id
-- Returns the entry count.
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return redis.call('HINCRBY', KEYS[2], 'entries', 1)
