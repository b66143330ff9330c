using System.CommandLine;

namespace Wafer.Cli;

/// <summary>
/// Accepts flags written Go-style, as Hypermode and Modus documented them: one dash (<c>-plugins</c>, <c>-port 8686</c>,
/// <c>-refresh=10s</c>). A token is rewritten to two dashes only when that names an option of the command being run,
/// so one-letter options (<c>-h</c>) and values that start with a dash are left alone.
/// </summary>
public static class GoStyleFlags
{
    public static string[] Rewrite(RootCommand root, string[] args)
    {
        Command command = root;
        var rewritten = new string[args.Length];
        var seenCommand = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            rewritten[i] = arg;
            if (arg == "--")
            {
                Array.Copy(args, i, rewritten, i, args.Length - i);
                break;
            }

            if (!seenCommand && command.Subcommands.FirstOrDefault(c => c.Name == arg || c.Aliases.Contains(arg)) is { } sub)
            {
                command = sub;
                continue;
            }

            if (arg.Length > 2 && arg[0] == '-' && arg[1] != '-')
            {
                var equals = arg.IndexOf('=', StringComparison.Ordinal);
                var name = "-" + (equals < 0 ? arg : arg[..equals]);
                if (Names(command).Contains(name))
                {
                    rewritten[i] = "-" + arg;
                    seenCommand = true;
                }
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                seenCommand = true;
            }
        }

        return rewritten;
    }

    private static HashSet<string> Names(Command command)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var option in command.Options)
        {
            names.Add(option.Name);
            names.UnionWith(option.Aliases);
        }

        return names;
    }
}
