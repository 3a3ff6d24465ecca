-- The account step of a group join: record every member's entry in the account's own list, unless the
-- account is blocked, in which case nothing is written and the caller takes the entries back out of the
-- draw. Written last, so a refused or cut-off group join leaves no record in the account's list.
-- KEYS[1] account hash
-- ARGV[1], ARGV[2], ... ticket, packed account entry record, in pairs
-- Returns 1 if the account is blocked (nothing written), else 0.
if redis.call('HGET', KEYS[1], 'blocked') == '1' then
  return 1
end
for i = 1, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
return 0
