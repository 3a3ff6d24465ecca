-- A per-account rate limit hit and one of the account's persons, in one round trip (same hash tag).
-- KEYS[1] the account's counter for this window   KEYS[2] the account's persons hash
-- ARGV[1] limit   ARGV[2] window seconds   ARGV[3] person id
-- Returns {allowed (1/0), ttl seconds, person JSON or false}. The person is read even when the limit
-- refuses (the caller answers 429 first); reading it costs nothing and keeps the script one shape.
--- @include "rate-limit"

local limited = rate_limit({KEYS[1]}, {ARGV[1], ARGV[2]})
return {limited[1], limited[3], redis.call('HGET', KEYS[2], ARGV[3])}
