/*
 * sink.c: the sink handle, and the table of report formats that
 * --report FORMAT[:FILE] names (reflint(1), Output).
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "sink.h"

/*
 * The report formats, in the order the command lists them.  A new format
 * is its file (report_NAME.c, defining rl_report_NAME) and one line in
 * each of the two lists below.
 */
extern const rl_sink_class rl_report_text, rl_report_json, rl_report_csv,
    rl_report_github, rl_report_csvrows;
extern const rl_sink_class rl_sink_xlsx;

static const rl_sink_class *const reports[] = {
	&rl_report_text,
	&rl_report_json,
	&rl_report_csv,
	&rl_report_github,
	&rl_report_csvrows,
	&rl_sink_xlsx,
};

const rl_sink_class *
rl_sink_report(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(reports) / sizeof(reports[0]); i++)
		if (strlen(reports[i]->name) == len &&
		    memcmp(reports[i]->name, name, len) == 0)
			return reports[i];
	return NULL;
}

const rl_sink_class *
rl_sink_report_at(size_t i)
{
	return i < sizeof(reports) / sizeof(reports[0]) ? reports[i] : NULL;
}

int
rl_sink_path_is_dir(const char *path)
{
	size_t n = strlen(path);
	struct stat st;

	return (n > 0 && path[n - 1] == '/') ||
	    (stat(path, &st) == 0 && S_ISDIR(st.st_mode));
}

rl_sink *
rl_sink_new(const rl_sink_class *cls, rl_outfile *out, const char *path,
    unsigned flags)
{
	size_t size = cls->size > sizeof(rl_sink) ? cls->size : sizeof(rl_sink);
	rl_sink *s;

	if ((s = rl_malloc(size)) == NULL)
		return NULL;
	memset(s, 0, size);
	s->cls = cls;
	s->out = out;
	s->path = path;
	s->flags = flags;
	return s;
}

void
rl_sink_free(rl_sink *s)
{
	if (s == NULL)
		return;
	if (s->cls->fini != NULL)
		s->cls->fini(s);
	rl_buf_free(&s->own);
	rl_free(s);
}

rl_buf *
rl_sink_buf(rl_sink *s)
{
	return s->out != NULL ? rl_outfile_buf(s->out) : &s->own;
}
