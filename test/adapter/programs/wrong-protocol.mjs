// Plays a runtime from the future: connects to the debugger's listener with protocol version 99.
// The adapter must refuse it and say why.
import { connect } from 'node:net';
const [host, port] = process.env.LOOPSCOPE_CONNECT.split(':');
const socket = connect({ host, port: Number(port) }, () => {
  const hello = { type: 'hello', protocol: 99, role: 'runtime', secret: process.env.LOOPSCOPE_SECRET, peer: { name: 'loopscope-future', version: '9.0.0', pid: process.pid } };
  socket.write(JSON.stringify(hello) + '\n');
});
socket.setEncoding('utf8');
let buf = '';
socket.on('data', (d) => {
  buf += d;
  if (buf.includes('\n')) console.log('wrong-protocol: the debugger answered ' + buf.split('\n')[0]);
});
socket.on('close', () => setTimeout(() => process.exit(0), 1500));
