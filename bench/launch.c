/* launch.c: runs a benchmark client and reports what it used
 *
 *   launch REPORT PROGRAM [ARGS...]
 *
 * Forks, execs PROGRAM, waits for it and writes "wall cpu maxrss_kb status"
 * to the file REPORT. A small launcher, because a child forked from the
 * Python driver would inherit the driver's peak RSS in ru_maxrss.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
main (int    argc,
      char **argv)
{
  struct timespec start, end;
  struct rusage usage;
  int status;
  pid_t pid;
  FILE *report;

  if (argc < 3)
    {
      fprintf (stderr, "usage: launch REPORT PROGRAM [ARGS...]\n");
      return 2;
    }
  clock_gettime (CLOCK_MONOTONIC, &start);
  pid = fork ();
  if (pid < 0)
    return 1;
  if (pid == 0)
    {
      execvp (argv[2], argv + 2);
      perror ("launch: exec");
      _exit (127);
    }
  if (wait4 (pid, &status, 0, &usage) != pid)
    return 1;
  clock_gettime (CLOCK_MONOTONIC, &end);
  report = fopen (argv[1], "w");
  if (report == NULL)
    return 1;
  fprintf (report, "%.6f %.6f %ld %d\n",
           (double) (end.tv_sec - start.tv_sec) + (double) (end.tv_nsec - start.tv_nsec) / 1e9,
           (double) usage.ru_utime.tv_sec + (double) usage.ru_utime.tv_usec / 1e6 +
           (double) usage.ru_stime.tv_sec + (double) usage.ru_stime.tv_usec / 1e6,
           usage.ru_maxrss,
           WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status));
  fclose (report);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 1;
}
