// The admin console's words for the rules tab's tables (sessions and priority categories), in English and
// Indonesian; spread into the admin dictionary (strings/admin.ts).
const en = {
  col_id: 'ID',
  col_start: 'Start',
  col_end: 'End',
  col_capacity: 'Capacity',
  col_label: 'Label',
  col_weight: 'Weight',
  col_minAge: 'Minimum age',
  col_proof: 'Proof document',
  categoryKindHint:
    'A category is either by age (minimum age, given to everyone old enough) or claimed with a document (proof, checked at the counter): fill in one of the two.',
  remove: 'Remove',
  removeRow: 'Remove row {n}',
  addSession: 'Add session',
  addCategory: 'Add category',
};

const id: typeof en = {
  col_id: 'ID',
  col_start: 'Mulai',
  col_end: 'Selesai',
  col_capacity: 'Kapasitas',
  col_label: 'Nama',
  col_weight: 'Bobot',
  col_minAge: 'Usia minimal',
  col_proof: 'Dokumen bukti',
  categoryKindHint:
    'Kategori berlaku menurut usia (usia minimal, otomatis bagi semua yang cukup umur) atau diklaim dengan dokumen (bukti, diperiksa di loket): isi salah satunya.',
  remove: 'Hapus',
  removeRow: 'Hapus baris {n}',
  addSession: 'Tambah sesi',
  addCategory: 'Tambah kategori',
};

export const ruleTableStrings = { en, id };
