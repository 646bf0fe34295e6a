// EPUBCheck kept running for the life of a galley process: its start-up (JVM, schemas) costs
// seconds, a check a fraction of one. Run as a single-file source program:
//   java -cp epubcheck.jar EpubCheckService.java
// Requests on stdin, one line per book: "REPORT.json<TAB>BOOK.epub"; each answered by a line
// "done" on stdout once the JSON report is written. Ends when stdin closes.
import com.adobe.epubcheck.tool.EpubChecker;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

public class EpubCheckService {
    public static void main(String[] args) throws IOException {
        PrintStream answers =
            new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err); // EPUBCheck's own messages must not mix with the answers
        BufferedReader requests =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = requests.readLine()) != null) {
            String[] request = line.split("\t", 2);
            new EpubChecker().run(new String[] {request[1], "--json", request[0], "-q"});
            answers.println("done");
        }
    }
}
