namespace ProcProbe.Cli.CommandLine;

internal static class HelpText
{
    public const string Usage = """
        Usage: procprobe [options] FILE [ARGS ...]     run script file (- for standard input)
           or: procprobe [options] -e SCRIPT [ARGS ...] run script given on the command line
           or: procprobe [options] -l PROBE             list matching probes
           or: procprobe [options] -L PROBE             list matching probes and variables

        SystemTap's procfs probes served from user space through FUSE: each
        procfs("PATH") probe becomes the file ROOT/MODNAME/PATH.

        Options (stap's letters and meanings):
           --         end of options; the rest are script arguments
           -h --help  show this help
           -V --version  show the version
           -v         add verbosity to all passes
           --vp ABCDE add per-pass verbosity
           -p NUM     stop after pass NUM (1 parse, 2 analyze, 5 run; default 5)
           -e SCRIPT  run the given script
           -m NAME    set the module name (directory ROOT/NAME)
           -o FILE    send script output to FILE
           -c CMD     start the probes, run CMD (with PROCPROBE_DIR and
                      SYSTEMTAP_MODULE set), exit when it ends
           -x PID     set target() to PID
           -D NM=VAL  set a limit: MAXSTRINGLEN STP_PROCFS_BUFSIZE MAXERRORS
                      MAXACTION MAXMAPENTRIES MAXNESTING MAXSKIPPED
           -T SECONDS stop after SECONDS
           -u         unoptimized translation (keep empty probes)
           -w         suppress warnings
           -W         turn warnings into errors
           -g         guru mode (embedded C parses; it cannot run in user space)
           -l PROBE   list probes matching PROBE
           -L PROBE   list probes and their variables
           --dump-probe-types  list the supported probe point types
           --suppress-handler-errors  catch all errors in handlers
           --root DIR directory under which ROOT/MODNAME is created
                      (default $PROCPROBE_ROOT, /run/procprobe for root,
                      else $XDG_RUNTIME_DIR/procprobe or /tmp/procprobe-UID)
           --allow-other  let other users reach the files (modes still apply)

        Exit status: 0 success, 1 parse, semantic or run-time failure, 2 usage error.
        """;
}
