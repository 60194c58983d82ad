using System.CommandLine;
using System.Globalization;

namespace Dsh.Cli;

/// <summary>
/// The <c>[suggest:N]</c> directive shell completion sends (dotnet-suggest's protocol): the completions of the command
/// line in the next argument at cursor position N, one per line. The root of <c>dsh</c> is a plain command named
/// "dsh" (a RootCommand would take the assembly's name), so the directive is answered here.
/// </summary>
internal static class Completions
{
    public static int Write(Command root, string[] args, TextWriter stdout)
    {
        string directive = args[0];
        string line = args.Length > 1 ? string.Join(' ', args.Skip(1)) : "";
        int position = line.Length;
        int colon = directive.IndexOf(':');
        if (colon > 0 && int.TryParse(directive.AsSpan(colon + 1, directive.Length - colon - 2), NumberStyles.None, CultureInfo.InvariantCulture, out int at))
        {
            position = Math.Clamp(at, 0, line.Length);
        }
        // dotnet-suggest passes the whole line, program name included.
        string programName = line.Split(' ', 2)[0];
        if (programName.Length > 0 && Path.GetFileNameWithoutExtension(programName) is "dsh" or "Dsh.Cli")
        {
            int skip = Math.Min(line.Length, programName.Length + 1);
            line = line[skip..];
            position = Math.Max(0, position - skip);
        }
        foreach (var completion in root.Parse(line).GetCompletions(position))
        {
            stdout.WriteLine(completion.Label);
        }
        stdout.Flush();
        return ExitCodes.Success;
    }
}
