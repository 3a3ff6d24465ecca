-- A whole join in one script, for a single Redis server. On Redis Cluster the join's keys live in four
-- hash slots (person, office, account, proof of work), so there it runs as separate steps instead
-- (EntryStore.join); this script runs the very same step scripts, included as functions, in the same order,
-- and one round trip replaces four. Atomic, so a crash leaves no half-join behind.
-- KEYS[1] single-use marker (the proof of work; ignored when ARGV[1] is 0)   KEYS[2] the person's nik hash
-- KEYS[3] draw meta hash   KEYS[4] the draw's entries bucket of this ticket   KEYS[5] office draw index
-- KEYS[6] account hash
-- ARGV[1] marker lifetime in seconds, 0 for none   ARGV[2] claim pointer   ARGV[3] now ms   ARGV[4] ticket
-- ARGV[5] packed entry   ARGV[6] candidate seed   ARGV[7] its commitment   ARGV[8] target date
-- ARGV[9] draw date   ARGV[10] draw index score   ARGV[11] office id   ARGV[12] packed account entry
-- ARGV[13] beacon anchor of the candidate (JSON, '' = unanchored)
-- Returns {1, entry count} | {-7, ''} account blocked | {-6, ''} marker already set | {-4, bannedUntil} banned
-- | {-2, "pointer@ms"} person already active | {-3, state} draw not open | {-5, ''} ticket taken.
-- Nothing is written on a refusal, except the marker once it is set (a refused join used its proof).
--- @include "person-claim"
--- @include "person-release"
--- @include "entry-join"
--- @include "account-entry-add"

if redis.call('HGET', KEYS[6], 'blocked') == '1' then
  return {-7, ''}
end
if ARGV[1] ~= '0' and not redis.call('SET', KEYS[1], '1', 'EX', ARGV[1], 'NX') then
  return {-6, ''}
end
local pointer = ARGV[2]
local claimed = person_claim({KEYS[2]}, {pointer, ARGV[3]})
if claimed[1] ~= 1 then
  return claimed
end
local joined = entry_join({KEYS[3], KEYS[4], KEYS[5]},
  {ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[3], ARGV[8], ARGV[9], ARGV[10], ARGV[11], ARGV[13]})
if joined[1] ~= 1 then
  person_release({KEYS[2]}, {pointer})
  return joined
end
account_entry_add({KEYS[6]}, {ARGV[4], ARGV[12]})
return joined
