"""The pages anyone can read without an account: the citizen landing page, the verified results per kecamatan,
kelurahan and TPS with the C.Hasil photos, and the road to the turnout target. No personal data."""
