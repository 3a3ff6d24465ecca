-- A whole group join in one script, for a single Redis server: every member joins or none does. It runs
-- the same step scripts as the Redis Cluster path (group.ts), included as functions, in the same order:
-- each member's person claim, the group's office step, the account's records.
-- KEYS[1] single-use marker (the proof of work; ignored when ARGV[1] is 0)   KEYS[2] draw meta hash
-- KEYS[3] the draw's entries bucket of the group   KEYS[4] office draw index   KEYS[5] account hash
-- KEYS[6], KEYS[7], ... each member's nik hash, member 0 first
-- ARGV[1] marker lifetime in seconds, 0 for none   ARGV[2] now ms   ARGV[3] candidate seed
-- ARGV[4] its commitment   ARGV[5] target date   ARGV[6] draw date   ARGV[7] draw index score
-- ARGV[8] office id   ARGV[9] beacon anchor of the candidate (JSON, '' = unanchored)
-- ARGV[10 + 4(i-1)] .. ARGV[13 + 4(i-1)] member i: claim pointer, ticket, packed entry, packed account record
-- Returns {1, entry count} | {-7, ''} account blocked | {-6, ''} marker already set
-- | {-4, bannedUntil, i} member i banned | {-2, "pointer@ms", i} member i already active
-- | {-3, state} draw not open | {-5, ''} a ticket taken.
-- Nothing is written on a refusal, except the marker once it is set (a refused join used its proof).
--- @include "person-claim"
--- @include "person-release"
--- @include "entry-join-group"
--- @include "account-entries-add"

if redis.call('HGET', KEYS[5], 'blocked') == '1' then
  return {-7, ''}
end
if ARGV[1] ~= '0' and not redis.call('SET', KEYS[1], '1', 'EX', ARGV[1], 'NX') then
  return {-6, ''}
end
local n = #KEYS - 5
local function release_first(count)
  for j = 1, count do
    person_release({KEYS[5 + j]}, {ARGV[10 + 4 * (j - 1)]})
  end
end
for i = 1, n do
  local claimed = person_claim({KEYS[5 + i]}, {ARGV[10 + 4 * (i - 1)], ARGV[2]})
  if claimed[1] ~= 1 then
    release_first(i - 1)
    return {claimed[1], claimed[2], i}
  end
end
local entries = {ARGV[3], ARGV[4], ARGV[2], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9]}
local records = {}
for i = 1, n do
  local b = 10 + 4 * (i - 1)
  table.insert(entries, ARGV[b + 1])
  table.insert(entries, ARGV[b + 2])
  table.insert(records, ARGV[b + 1])
  table.insert(records, ARGV[b + 3])
end
local joined = entry_join_group({KEYS[2], KEYS[3], KEYS[4]}, entries)
if joined[1] ~= 1 then
  release_first(n)
  return joined
end
account_entries_add({KEYS[5]}, records)
return joined
