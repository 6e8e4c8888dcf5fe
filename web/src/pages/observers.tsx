// #/observers (the list) and #/observers/<id> (one observer); the parts live in observers/.
import type { PageProps } from '../app/routes';
import '../styles/observers.css';
import { ObserverDetail } from './observers/detail';
import { ObserversList } from './observers/list';

export default function ObserversPage({ args }: PageProps) {
  return args.length > 0 ? <ObserverDetail id={args.join('/')} /> : <ObserversList />;
}
