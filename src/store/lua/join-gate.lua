-- Everything a join must pass before it may touch a draw, in one round trip: the applicant's session,
-- its CSRF token, the account, the account's hourly join limit and the person. All these keys live under
-- the account's hash tag, so this is one script on a single Redis and on a Cluster alike.
-- KEYS[1] session hash   KEYS[2] account hash   KEYS[3] the account's join counter for this window
-- KEYS[4] the account's persons hash
-- ARGV[1] account id the cookie names   ARGV[2] CSRF token sent   ARGV[3] limit   ARGV[4] window seconds
-- ARGV[5] person id   ARGV[6..] the account fields to return, in order (must include 'id' and 'blocked')
-- Returns {-1} no such session (or one of another account) | {-2} wrong CSRF token | {-3} no such account
-- | {-4} account blocked: nothing is counted on these, as before any handler runs
-- | {1, allowed (1/0), ttl seconds, person JSON or false, account field values...}
-- The CSRF comparison runs here so that a request that fails it cannot use up the account's limit. Lua
-- compares interned strings by reference, so the time it takes does not depend on how much of the token
-- was right.
--- @include "applicant-auth"
--- @include "rate-limit"

local fields = {}
local idAt, blockedAt
for i = 6, #ARGV do
  fields[#fields + 1] = ARGV[i]
  if ARGV[i] == 'id' then idAt = #fields end
  if ARGV[i] == 'blocked' then blockedAt = #fields end
end

local auth = applicant_auth({KEYS[1], KEYS[2]}, fields)
if not auth or auth[2] ~= ARGV[1] then
  return {-1}
end
if auth[1] ~= ARGV[2] then
  return {-2}
end
if auth[2 + idAt] ~= ARGV[1] then
  return {-3}
end
if auth[2 + blockedAt] == '1' then
  return {-4}
end

-- The person is read even when the limit refuses (the caller answers 429 first): it costs nothing.
local limited = rate_limit({KEYS[3]}, {ARGV[3], ARGV[4]})
local out = {1, limited[1], limited[3], redis.call('HGET', KEYS[4], ARGV[5])}
for i = 3, #auth do
  out[#out + 1] = auth[i]
end
return out
