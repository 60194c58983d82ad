// Started by GalleryProcessTests. Usage:
//   Dsh.Hashing.GalleryWriter PATH WRITER MODE UPDATES ITEMS
// MODE "update": each update is Gallery.Update(PATH, ...) (load, add, save under the lock).
// MODE "commit": the gallery is loaded once and kept; each update is gallery.Commit(PATH, ...), which reloads
//                only when another process changed the file.
// MODE "hold":   takes the lock through Gallery.Update, prints "holding" and sleeps until killed.
// Each update adds ITEMS items (keys WRITER/u/i, codes and categories from KeyCodes) in one AddRange and, once
// the call has returned, prints "ack KEY" for each on one write. UPDATES = 0 runs until killed, pausing 1-9 ms
// between updates.
using Dsh.Hashing;
using Dsh.Hashing.GalleryWriter;

if (args.Length != 5)
{
    Console.Error.WriteLine("usage: PATH WRITER update|commit|hold UPDATES ITEMS");
    return 2;
}

string path = args[0], writer = args[1], mode = args[2];
int updates = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
int perUpdate = int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture);
var lockOptions = new GalleryLockOptions { Timeout = TimeSpan.FromSeconds(60) };

if (mode == "hold")
{
    Gallery.Update(path, _ =>
    {
        Console.Out.Write("holding\n");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
    }, lockOptions);
    return 0;
}

Gallery? kept = mode == "commit" ? Gallery.Load(path) : null;
int bits = kept?.CodeLength ?? Gallery.Load(path).CodeLength;
for (int u = 0; updates == 0 || u < updates; u++)
{
    var keys = new string[perUpdate];
    var items = new GalleryItem[perUpdate];
    var codes = new BinaryCode[perUpdate];
    for (int i = 0; i < perUpdate; i++)
    {
        keys[i] = KeyCodes.Key(writer, u, i);
        items[i] = new GalleryItem(keys[i], KeyCodes.Category(writer, u));
        codes[i] = KeyCodes.Code(keys[i], bits);
    }

    BinaryCodeSet set = BinaryCodeSet.FromCodes(codes, bits);
    if (kept is not null)
    {
        kept.Commit(path, g => g.AddRange(set, items), lockOptions);
    }
    else
    {
        Gallery.Update(path, g => g.AddRange(set, items), lockOptions);
    }

    Console.Out.Write(string.Concat(keys.Select(k => "ack " + k + "\n")));
    Console.Out.Flush();
    if (updates == 0)
    {
        // Run until killed: pause as a real writer does between updates. Back to back, the writer that just released the
        // lock takes it again before the others' next poll, and on a busy machine one writer can wait out the test.
        Thread.Sleep(Random.Shared.Next(1, 10));
    }
}

return 0;
