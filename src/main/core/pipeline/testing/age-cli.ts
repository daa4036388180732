import { spawn } from 'node:child_process';

/**
 * Runs `age` with a passphrase typed into a pseudo-terminal (`script` from util-linux): the age
 * CLI reads passphrases only from a TTY, and a passphrase must never be in argv. Each prompt
 * is answered once; resolves with age's exit code and what it printed.
 */
export function ageWithPassphrase(args: string[], passphrase: string, timeoutMs = 30_000): Promise<{ code: number | null; output: string }> {
  for (const arg of args) {
    if (arg.includes("'")) throw new Error(`cannot quote argument for script(1): ${arg}`);
  }
  const command = ['age', ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let answered = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const onText = (data: Buffer): void => {
      output += data.toString();
      // "Enter passphrase:", "(...) passphrase (auto-generate ...)", "Enter passphrase for identity file "x":".
      const prompts = output.match(/passphrase:|passphrase \(|passphrase for identity file "[^"]*":/gi)?.length ?? 0;
      for (; answered < prompts; answered += 1) child.stdin.write(`${passphrase}\n`);
    };
    child.stdout.on('data', onText);
    child.stderr.on('data', onText);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, output });
    });
  });
}
