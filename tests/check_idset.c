/* check_idset.c: the set of referral ids behind the cross-record rules. */
#include "config.h"

#include <stdio.h>

#include "idset.h"
#include "tests.h"

static size_t
id_of(char *buf, size_t size, const char *prefix, unsigned long i)
{
	return (size_t)snprintf(buf, size, "%s%08lx-0000-4000-8000-%012lu",
	    prefix, i * 2654435761u % 4294967291u, i);
}

START_TEST(test_members)
{
	rl_idset *s = rl_idset_new();
	char id[64];
	unsigned long i, n = 200000;
	size_t len;

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(rl_idset_has(s, "x", 1), 0);
	for (i = 0; i < n; i++) {
		len = id_of(id, sizeof(id), "", i);
		ck_assert_int_eq(rl_idset_add(s, id, len), 1);
	}
	ck_assert_uint_eq(rl_idset_count(s), n);
	for (i = 0; i < n; i++) {
		len = id_of(id, sizeof(id), "", i);
		ck_assert_int_eq(rl_idset_has(s, id, len), 1);
		ck_assert_int_eq(rl_idset_add(s, id, len), 0);
		len = id_of(id, sizeof(id), "z", i);
		ck_assert_int_eq(rl_idset_has(s, id, len), 0);
	}
	ck_assert_uint_eq(rl_idset_count(s), n);
	/* the README's bound: at most 16 bytes per distinct id */
	ck_assert_msg(rl_idset_bytes(s) <= 16 * n, "%zu bytes for %lu ids",
	    rl_idset_bytes(s), n);
	/* ids differ by one byte, or are prefixes of each other */
	ck_assert_int_eq(rl_idset_add(s, "r-1", 3), 1);
	ck_assert_int_eq(rl_idset_has(s, "r-10", 4), 0);
	ck_assert_int_eq(rl_idset_has(s, "r-", 2), 0);
	ck_assert_int_eq(rl_idset_has(s, "R-1", 3), 0);
	ck_assert_int_eq(rl_idset_add(s, "", 0), 1);
	ck_assert_int_eq(rl_idset_has(s, "", 0), 1);
	rl_idset_free(s);
	rl_idset_free(NULL);
}
END_TEST

START_TEST(test_nomem)
{
	char id[64];
	unsigned long i;
	int fails = 0;

	/* every allocation along 2000 additions fails once in turn */
	for (i = 1; i < 300; i++) {
		rl_idset *s;
		unsigned long k;
		int r = 0;

		rl_alloc_fail_after(0);
		s = rl_idset_new();
		ck_assert_ptr_nonnull(s);
		rl_alloc_fail_after(i);
		for (k = 0; k < 2000 && r != -1; k++)
			r = rl_idset_add(s, id, id_of(id, sizeof(id), "", k));
		rl_alloc_fail_after(0);
		if (r == -1) {
			fails++;
			/* what was added before the failure is still there */
			while (k-- > 1)
				ck_assert_int_eq(rl_idset_has(s, id,
				    id_of(id, sizeof(id), "", k - 1)), 1);
		}
		rl_idset_free(s);
	}
	ck_assert_int_gt(fails, 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("idset");
	TCase *tc = tcase_create("idset");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_members);
	tcase_add_test(tc, test_nomem);
	suite_add_tcase(s, tc);
	return rl_test_run(s);
}
