using Dsh.Persistence;
using Dsh.Tests.Support;

namespace Dsh.Tests.Persistence;

/// <summary>The per-user cache folders: private (0700), never another account's folder, never through a link.</summary>
public sealed class DshDirectoriesTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_new_folder_is_created_private_and_an_open_one_is_made_private()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix permissions only
        }
        string fresh = _folder.File("cache-a");
        Assert.Equal(fresh, DshDirectories.FirstUsable([fresh]));
        Assert.Equal(Private, File.GetUnixFileMode(fresh));

        string open = _folder.File("cache-b");
        Directory.CreateDirectory(open);
        File.SetUnixFileMode(open, Private | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        Assert.Equal(open, DshDirectories.FirstUsable([open]));
        Assert.Equal(Private, File.GetUnixFileMode(open));
    }

    [Fact]
    public void A_link_a_file_or_a_relative_path_is_passed_over_for_the_next_candidate_or_a_fresh_private_folder()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix permissions only
        }
        string target = _folder.File("elsewhere");
        Directory.CreateDirectory(target);
        string link = _folder.File("link");
        Directory.CreateSymbolicLink(link, target);
        string file = _folder.File("a-file");
        File.WriteAllText(file, "x");
        string good = _folder.File("good");

        Assert.Equal(good, DshDirectories.FirstUsable([null, "", "relative/dsh", link, file, good]));
        string fallback = DshDirectories.FirstUsable([link]);
        try
        {
            Assert.StartsWith(Path.GetTempPath(), fallback, StringComparison.Ordinal);
            Assert.Contains("dsh-cache-", fallback, StringComparison.Ordinal);
            Assert.Equal(Private, File.GetUnixFileMode(fallback));
        }
        finally
        {
            Directory.Delete(fallback);
        }
    }

    [Fact]
    public void Cache_folders_are_plain_names_and_the_token_cache_lives_in_one()
    {
        Assert.Throws<ArgumentException>(() => DshDirectories.CacheFolder(".."));
        Assert.Throws<ArgumentException>(() => DshDirectories.CacheFolder("a/b"));
        Assert.Throws<ArgumentException>(() => DshDirectories.CacheFolder(" "));
        string tokens = DshTrainer.DefaultTokenCacheDirectory;
        Assert.Equal(Path.Combine(DshDirectories.Cache, "sketch-tokens"), tokens);
        Assert.DoesNotContain(Path.GetTempPath() + "dsh-token-cache", tokens, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(Private, File.GetUnixFileMode(tokens));
            Assert.Equal(Private, File.GetUnixFileMode(DshDirectories.Cache));
        }
    }
}
