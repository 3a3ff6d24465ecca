-- An applicant's session and account in one read: both live under the account's hash tag.
-- KEYS[1] session hash   KEYS[2] account hash   ARGV the account fields to return, in order
-- Returns false without a session, else {session csrf, session accountId, account field values...}
-- (an account field missing is false, so a deleted account comes back with a false id).
local csrf, owner = unpack(redis.call('HMGET', KEYS[1], 'csrf', 'accountId'))
if not csrf then
  return false
end
local out = redis.call('HMGET', KEYS[2], unpack(ARGV))
table.insert(out, 1, owner or '')
table.insert(out, 1, csrf)
return out
